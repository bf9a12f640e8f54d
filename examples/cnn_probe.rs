use std::time::Instant;
use trainlab::nn::{Activation, LayerSpec, Model, ModelSpec, Shape};
use trainlab::optim::{Optimizer, Rule, Settings};
use trainlab::rng::Rng;
fn main() {
    let layers = vec![
        LayerSpec::Conv {
            filters: 16,
            size: 5,
            stride: 1,
            pad: 0,
        },
        LayerSpec::Activation(Activation::Relu),
        LayerSpec::MaxPool { size: 2, stride: 2 },
        LayerSpec::Conv {
            filters: 32,
            size: 5,
            stride: 1,
            pad: 0,
        },
        LayerSpec::Activation(Activation::Relu),
        LayerSpec::MaxPool { size: 2, stride: 2 },
        LayerSpec::Dense { units: 10 },
    ];
    let spec = ModelSpec::from_layers(Shape::new(1, 28, 28), layers, 10);
    let mut model = Model::new(&spec, 1).unwrap();
    let mut rng = Rng::new(3);
    let x: Vec<f32> = (0..32 * 784).map(|_| rng.uniform() as f32).collect();
    let y: Vec<u32> = (0..32).map(|i| i % 10).collect();
    let mut opt = Optimizer::new(Settings {
        lr: 0.01,
        rule: Rule::Momentum { rho: 0.9 },
    })
    .unwrap();
    for _ in 0..20 {
        model.compute_gradients(&x, &y, 1e-4).unwrap();
        let (p, g) = model.params_and_grads();
        opt.step(p, g).unwrap();
    }
    let n = 100;
    let c0 = cpu();
    let t = Instant::now();
    for _ in 0..n {
        model.compute_gradients(&x, &y, 1e-4).unwrap();
        let (p, g) = model.params_and_grads();
        opt.step(p, g).unwrap();
    }
    let ms = t.elapsed().as_secs_f64() * 1e3 / n as f64;
    let cpu_ms = (cpu() - c0) * 1e3 / n as f64;
    println!("{ms:.2} ms/step wall, {cpu_ms:.2} ms/step cpu");
}

fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}
